# DPO at β = 0.1: implicit rewards of chosen and rejected answers, and their margin
# Render from this directory: gnuplot implicit-rewards.gp  (writes implicit-rewards.png)
if (!exists("outfile")) outfile = 'implicit-rewards.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'DPO at β = 0.1: implicit rewards of chosen and rejected answers, and their margin'
set xlabel 'step'
set ylabel 'β log π/π_ref (nats × β)'
set key top left box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'implicit-rewards.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'rewards/chosen', \
     'implicit-rewards.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'rewards/rejected', \
     'implicit-rewards.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'rewards/margins'
