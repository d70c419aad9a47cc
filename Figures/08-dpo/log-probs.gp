# DPO at β = 0.1: log-probability of chosen and rejected answers under the policy
# Render from this directory: gnuplot log-probs.gp  (writes log-probs.png)
if (!exists("outfile")) outfile = 'log-probs.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'DPO at β = 0.1: log-probability of chosen and rejected answers under the policy'
set xlabel 'step'
set ylabel 'log π(y|x) (nats)'
set key bottom left box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'log-probs.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'logps/chosen', \
     'log-probs.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'logps/rejected'
