# Reward under REINFORCE (leave-one-out) at two step sizes
# Render from this directory: gnuplot step-size-reward.gp  (writes step-size-reward.png)
if (!exists("outfile")) outfile = 'step-size-reward.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Reward under REINFORCE (leave-one-out) at two step sizes'
set xlabel 'REINFORCE step'
set ylabel 'mean reward of the batch (points, max 1.5)'
set key top left box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'step-size-reward.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'lr 0.002', \
     'step-size-reward.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'lr 0.01'
