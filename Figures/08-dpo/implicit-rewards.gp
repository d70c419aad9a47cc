# DPO at β = 0.1: implicit rewards of chosen and rejected answers, and their margin
# Render from this directory: gnuplot implicit-rewards.gp  (writes implicit-rewards.png)
if (!exists("outfile")) outfile = 'implicit-rewards.png'
set terminal pngcairo size 800,551 noenhanced font 'Sans,11'
set output outfile
set title 'DPO at β = 0.1: implicit rewards of chosen and rejected answers, and their margin'
set xlabel 'step'
set ylabel 'β log π/π_ref (nats × β)'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set xrange [1:100]
set yrange [-0.127949147:0.0449085142]
set style fill transparent solid 0.2 noborder
plot 'implicit-rewards.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'rewards/chosen (10-step mean)', \
     'implicit-rewards.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'rewards/rejected (10-step mean)', \
     'implicit-rewards.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'rewards/margins (10-step mean)'
